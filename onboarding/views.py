import csv
import json
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comparisons.models import Dimension
from opsguide.ids import parse_id
from opsguide.ratelimit import client_ip, client_key, ratelimit
from quizzes.models import Answer, Attempt, Dispute
from review import scheduling
from review.models import ReminderChoice

from .forms import DeleteAccountForm, DueDateForm, InviteForm, SignUpForm, StepForm
from .models import FormerAnswers, Invite, Membership, ReadMark, Step, Team, Track
from .progress import last_active, progress, weak_spots


def _refuse(request, status, title, message, team=None):
    """Answer with a page that says plainly why the request was refused."""
    context = {"title": title, "message": message, "team": team}
    return render(request, "onboarding/refused.html", context, status=status)


def team_page(*, change):
    """Resolve the team of a lead's page, or refuse: 403 for people who know the team, else 404.

    Reading (the dashboard, the CSV, a member's page) needs the team's lead or
    the view_team_progress permission; changing (the track, invites, members)
    the team's lead or manage_team. A member of the team, or someone who may
    read but not change, is told why; anyone else learns nothing about the team.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            team = Team.objects.filter(slug=slug).first()
            if team is None:
                raise Http404("No such team.")
            user = request.user
            if change and team.can_manage(user) or not change and team.can_view_progress(user):
                return view(request, team, *args, **kwargs)
            knows_the_team = team.memberships.filter(user=user).exists() or team.can_view_progress(
                user
            )
            if not knows_the_team:
                raise Http404("No such team.")
            title = "Only team leads can see this"
            if change and team.can_view_progress(user):
                title = "Only team leads can change this"
                message = (
                    f"Only the leads of {team.name} can change its track, invites and members."
                )
            else:
                message = (
                    f"Only the leads of {team.name} can see this: the team's dashboard shows "
                    "every member's progress. Your own progress is on “My progress”."
                )
            return _refuse(request, 403, title, message, team)

        return wrapped

    return decorator


def _steps(team):
    track = Track.objects.filter(team=team).first()
    if track is None:
        return None, []
    steps = list(track.steps.select_related("dimension", "quiz"))
    return track, steps


@require_safe
@login_required
def me(request):
    """Show the learner's teams, their track with each step's status, and their attempts."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("team", "team__track")
    )
    tracks = [m.team.track for m in memberships if hasattr(m.team, "track")]
    steps = list(Step.objects.filter(track__in=tracks).select_related("dimension", "quiz", "track"))
    cells = progress([request.user.pk], steps)
    rows = []
    for membership in memberships:
        team_steps = [
            (step, cells[(request.user.pk, step.pk)])
            for step in steps
            if step.track.team_id == membership.team_id
        ]
        done = sum(1 for _, cell in team_steps if cell.done)
        rows.append((membership, team_steps, done))
    attempts = (
        Attempt.objects.filter(user=request.user)
        .select_related("quiz")
        .order_by("-started_at")[:20]
    )
    mastery = scheduling.mastery(request.user)
    context = {
        "rows": rows,
        "attempts": attempts,
        "mastery": mastery,
        "review_cards": sum(row.cards for row in mastery),
        "review_due_now": sum(row.due for row in mastery),
        "reminders": ReminderChoice.objects.filter(user=request.user, wanted=True).exists(),
    }
    return render(request, "onboarding/me.html", context)


@require_POST
@login_required
def mark_read(request, slug):
    """Mark a dimension as read (for reading steps); idempotent."""
    dimension = get_object_or_404(Dimension.objects.published(), slug=slug)
    ReadMark.objects.get_or_create(user=request.user, dimension=dimension)
    if request.htmx:
        return render(
            request, "onboarding/_read_button.html", {"dimension": dimension, "is_read": True}
        )
    messages.success(request, f"Marked “{dimension.title}” as read.")
    return redirect(dimension)


def _grid(team):
    """Return the team's learners and leads, its track and steps, and who has done what."""
    memberships = list(team.memberships.select_related("user").order_by("user__username"))
    learners = [m for m in memberships if m.is_learner]
    leads = [m for m in memberships if m.role == Membership.Role.LEAD]
    track, steps = _steps(team)
    cells = progress([m.user_id for m in learners], steps)
    active = last_active([m.user for m in learners])
    rows = []
    for membership in learners:
        row = [cells[(membership.user_id, step.pk)] for step in steps]
        done = sum(1 for cell in row if cell.done)
        rows.append((membership, row, done, active[membership.user_id]))
    per_step = [sum(1 for m in learners if cells[(m.user_id, step.pk)].done) for step in steps]
    return learners, leads, track, steps, rows, per_step


def _mastery_grid(rows):
    """Return (dimensions, [(membership, [DimensionMastery])]) for the learners' review cards.

    Only dimensions where some learner has a card are shown.
    """
    learners = [membership for membership, *_ in rows]
    by_user = scheduling.mastery_of([m.user_id for m in learners])
    if not by_user:
        return [], []
    columns = [
        n
        for n, row in enumerate(next(iter(by_user.values())))
        if any(by_user[m.user_id][n].cards for m in learners)
    ]
    dimensions = [by_user[learners[0].user_id][n].dimension for n in columns]
    grid = [(m, [by_user[m.user_id][n] for n in columns]) for m in learners]
    return dimensions, grid


@require_safe
@login_required
@team_page(change=False)
def team(request, team):
    """The lead's dashboard: learners × steps, completion, invites and the team's weak spots."""
    learners, leads, track, steps, rows, per_step = _grid(team)
    mine = next((m for m in leads if m.user_id == request.user.pk), None)
    context = {
        "team": team,
        "track": track,
        "steps": steps,
        "rows": rows,
        "leads": leads,
        "my_lead_membership": mine,
        "per_step": list(zip(steps, per_step, strict=True)),
        "learner_total": len(learners),
        "all_done": sum(1 for *_, done, _ in rows if steps and done == len(steps)),
        "weak_spots": weak_spots(team, [m.user_id for m in learners]),
        "mastery": _mastery_grid(rows),
        "pending_invites": list(team.invites.usable()),
        "can_manage": team.can_manage(request.user),
    }
    return render(request, "onboarding/team.html", context)


@require_POST
@login_required
@team_page(change=False)
def lead_learns(request, team):
    """Let a lead count themselves as a learner of the track, or stop counting."""
    membership = team.memberships.filter(user=request.user, role=Membership.Role.LEAD).first()
    if membership is None:
        return _refuse(request, 400, "Only for leads", "Only the team's leads choose this.", team)
    membership.learns_too = request.POST.get("learns") == "1"
    membership.save(update_fields=["learns_too"])
    if membership.learns_too:
        messages.success(request, "You now count as a learner: your steps show on the dashboard.")
    else:
        messages.success(request, "You no longer count as a learner on the dashboard.")
    return redirect(team)


def _iso(moment):
    return timezone.localtime(moment).date().isoformat() if moment else ""


@require_safe
@login_required
@team_page(change=False)
def team_csv(request, team):
    """Download the dashboard as a spreadsheet: one row per learner, ISO dates, UTF-8 with a BOM."""
    _, _, _, steps, rows, _ = _grid(team)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{team.slug}-progress.csv"'
    # The byte-order mark tells Excel the file is UTF-8 (the step titles have curly quotes).
    response.write("\ufeff")
    writer = csv.writer(response)
    header = ["member", "email", "role", "joined", "last active", "steps done", "steps total"]
    for number, step in enumerate(steps, start=1):
        name = _csv_safe(f"{number}. {step}")
        header += [f"{name}: status", f"{name}: best score (%)", f"{name}: done on"]
        header += [f"{name}: due by"] if step.due_on else []
    writer.writerow(header)
    for membership, row, done, active in rows:
        user = membership.user
        line = [
            _csv_safe(user.get_username()),
            _csv_safe(user.email),
            membership.role,
            _iso(membership.joined_at),
            _iso(active),
            done,
            len(steps),
        ]
        for step, cell in zip(steps, row, strict=True):
            status = "done" if cell.done else "overdue" if cell.overdue else "to do"
            line += [status, "" if cell.best is None else cell.best, _iso(cell.done_at)]
            line += [step.due_on.isoformat()] if step.due_on else []
        writer.writerow(line)
    return response


def _csv_safe(text):
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _team_member(team, user_id):
    """Return the membership of user_id in team, or None."""
    if not 0 < user_id < 2**31:
        return None
    return team.memberships.select_related("user").filter(user_id=user_id).first()


def _not_in_team(request, team):
    message = f"That person is not in {team.name} (any more)."
    return _refuse(request, 404, "Not a member of this team", message, team)


@require_safe
@login_required
@team_page(change=False)
def member(request, team, user_id):
    """One member's progress, attempts and mistakes, for the team's leads."""
    membership = _team_member(team, user_id)
    if membership is None:
        return _not_in_team(request, team)
    user = membership.user
    track, steps = _steps(team)
    cells = progress([user.pk], steps)
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("quiz")
        .annotate(mistakes=Count("answers", filter=Q(answers__is_correct=False)))
        .order_by("-started_at")[:50]
    )
    mistakes = list(
        Answer.objects.filter(attempt__user=user, is_correct=False)
        .select_related("practice", "practice__dimension", "attempt__quiz")
        .order_by("-answered_at")[:50]
    )
    context = {
        "team": team,
        "membership": membership,
        "person": user,
        "steps": [(step, cells[(user.pk, step.pk)]) for step in steps],
        "done": sum(1 for step in steps if cells[(user.pk, step.pk)].done),
        "last_active": last_active([user])[user.pk],
        "attempts": attempts,
        "mistakes": mistakes,
        "can_manage": team.can_manage(request.user),
    }
    return render(request, "onboarding/member.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@team_page(change=True)
def remove_member(request, team, user_id):
    """Take a member out of the team, after asking; their own history stays theirs."""
    membership = _team_member(team, user_id)
    if membership is None:
        return _not_in_team(request, team)
    if membership.role == Membership.Role.LEAD:
        message = "Leads are not removed here: staff change a lead's role in the admin."
        return _refuse(request, 400, "A lead cannot be removed here", message, team)
    if request.method == "POST":
        membership.delete()
        messages.success(
            request,
            f"{membership.user.get_username()} is no longer in {team.name}. Their quiz "
            "attempts and read marks stay in their own account.",
        )
        return redirect(team)
    return render(
        request, "onboarding/remove_member.html", {"team": team, "membership": membership}
    )


@require_http_methods(["GET", "POST"])
@login_required
@team_page(change=True)
def team_track(request, team):
    """Let a lead add and reorder the steps of the team's track, and set due dates.

    Each change is saved at once and named in a message. Removing a step, which
    loses its place and due date, is asked about first: see remove_step.
    """
    track, _ = Track.objects.get_or_create(team=team)
    action = request.POST.get("action", "add")
    form = StepForm(request.POST if request.method == "POST" and action == "add" else None)
    if request.method == "POST":
        if action == "add":
            if form.is_valid():
                last = track.steps.aggregate(last=Max("position"))["last"] or 0
                step = Step.objects.create(track=track, position=last + 1, **form.step_fields())
                messages.success(request, f"Added step {track.steps.count()}: {step}.")
                return redirect("onboarding:track", slug=team.slug)
        else:
            step = track.steps.filter(pk=parse_id(request.POST.get("step"))).first()
            if step is None or action not in {"remove", "up", "down", "due"}:
                message = "That step is not in this track (any more), or the action is unknown."
                return _refuse(request, 400, "Unknown step or action", message, team)
            if action == "remove":
                # A form from before removals were confirmed: ask, change nothing yet.
                return redirect("onboarding:remove-step", slug=team.slug, pk=step.pk)
            if action == "due":
                due = DueDateForm(request.POST)
                if not due.is_valid():
                    message = "The due date must be a date such as 2026-12-31, or empty."
                    return _refuse(request, 400, "Not a date", message, team)
                step.due_on = due.cleaned_data["due_on"]
                step.save(update_fields=["due_on"])
                if step.due_on:
                    when = date_format(step.due_on, "j M Y")
                    messages.success(request, f"{step} is now due by {when}.")
                else:
                    messages.success(request, f"{step} has no due date any more.")
            else:
                number = _move(track, step, -1 if action == "up" else 1)
                if number:
                    messages.success(request, f"Moved {step} {action}, to step {number}.")
            return redirect("onboarding:track", slug=team.slug)
    steps = list(track.steps.select_related("dimension", "quiz"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "onboarding/track.html",
        {"team": team, "track": track, "steps": steps, "form": form},
        status=status,
    )


def _move(track, step, offset):
    """Swap the step with its neighbour; return its new number, or None if it is already at
    that end."""
    steps = list(track.steps.all())
    index = steps.index(step)
    other = index + offset
    if not 0 <= other < len(steps):
        return None
    steps[index], steps[other] = steps[other], steps[index]
    with transaction.atomic():
        for position, each in enumerate(steps, start=1):
            if each.position != position:
                Step.objects.filter(pk=each.pk).update(position=position)
    return other + 1


@require_http_methods(["GET", "POST"])
@login_required
@team_page(change=True)
def remove_step(request, team, pk):
    """Ask whether to remove a step from the track, and remove it on confirmation."""
    step = Step.objects.filter(track__team=team, pk=pk).select_related("dimension", "quiz").first()
    if step is None:
        messages.info(request, "That step is no longer in the track.")
        return redirect("onboarding:track", slug=team.slug)
    if request.method == "POST":
        step.delete()
        messages.success(request, f"Removed the step {step}.")
        return redirect("onboarding:track", slug=team.slug)
    learners = list(team.memberships.learners().values_list("user_id", flat=True))
    cells = progress(learners, [step])
    context = {
        "team": team,
        "step": step,
        "learners": len(learners),
        "done": sum(1 for user_id in learners if cells[(user_id, step.pk)].done),
    }
    return render(request, "onboarding/remove_step.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@team_page(change=True)
def team_invites(request, team):
    """List the team's invites and let a lead create one."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Invite.objects.create(
            team=team,
            created_by=request.user,
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            max_uses=form.cleaned_data["max_uses"],
        )
        messages.success(request, "Invite created: copy the link below and send it.")
        return redirect("onboarding:invites", slug=team.slug)
    invites = team.invites.all()
    status = 400 if form.is_bound else 200
    return render(
        request,
        "onboarding/invites.html",
        {"team": team, "invites": invites, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@team_page(change=True)
def revoke_invite(request, team, pk):
    """Ask whether to revoke an invite, and revoke it on confirmation."""
    invite = get_object_or_404(Invite, team=team, pk=pk)
    if request.method == "GET":
        if not invite.is_usable:
            messages.info(request, f"That invite is already {invite.status}.")
            return redirect("onboarding:invites", slug=team.slug)
        return render(request, "onboarding/revoke.html", {"team": team, "invite": invite})
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        messages.success(request, "Invite revoked: the link no longer works.")
    else:
        messages.info(request, "That invite was already revoked.")
    return redirect("onboarding:invites", slug=team.slug)


@require_http_methods(["GET", "POST"])
@ratelimit("signup", key=client_ip)
def invite(request, token):
    """Join a team through an invite: sign up, or join with the account you are logged in with."""
    invite = Invite.objects.select_related("team").filter(token=token).first()
    if invite is None:
        return render(request, "onboarding/invite_refused.html", {"reason": "unknown"}, status=404)
    if not invite.is_usable:
        context = {"reason": invite.status, "team": invite.team}
        return render(request, "onboarding/invite_refused.html", context, status=410)

    already = (
        request.user.is_authenticated
        and Membership.objects.filter(team=invite.team, user=request.user).exists()
    )
    form = None
    if not request.user.is_authenticated:
        form = SignUpForm(request.POST or None)
    login_url = f"{reverse('login')}?next={invite.get_absolute_url()}"
    context = {"invite": invite, "form": form, "login_url": login_url}
    if request.method == "POST" and not already:
        if form is not None and not form.is_valid():
            return render(request, "onboarding/invite.html", context, status=400)
        try:
            with transaction.atomic():
                if not invite.use():
                    context = {"reason": "used up", "team": invite.team}
                    return render(request, "onboarding/invite_refused.html", context, status=410)
                user = form.save() if form is not None else request.user
                Membership.objects.create(team=invite.team, user=user)
        except IntegrityError:
            already = True
        else:
            if form is not None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invite.team}.")
            return redirect("onboarding:me")
    if already:
        messages.info(request, f"You are already in {invite.team}.")
        return redirect("onboarding:me")
    return render(request, "onboarding/invite.html", context)


# The learner's own data


def _my_data(user):
    """Return everything OpsGuide keeps about this learner, as plain data."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz")
        .prefetch_related("answers__practice")
        .order_by("started_at")
    )
    disputes = Dispute.objects.filter(attempt__user=user).select_related("practice")
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "teams": [
            {
                "team": m.team.name,
                "role": m.role,
                "joined": m.joined_at,
                "counted_as_learner": m.is_learner,
            }
            for m in Membership.objects.filter(user=user).select_related("team")
        ],
        "read": [
            {"dimension": r.dimension.title, "marked_at": r.marked_at}
            for r in ReadMark.objects.filter(user=user).select_related("dimension")
        ],
        "attempts": [
            {
                "quiz": a.quiz.title,
                "started_at": a.started_at,
                "finished_at": a.finished_at,
                "score": a.score,
                "total": a.total,
                "retry_of_missed_cards": a.retry_of_id is not None,
                "answers": [
                    {
                        "practice": answer.practice.name,
                        "choice": answer.choice,
                        "expected": answer.expected,
                        "correct": answer.is_correct,
                        "answered_at": answer.answered_at,
                    }
                    for answer in a.answers.all()
                ],
            }
            for a in attempts
        ],
        "disputes": [
            {
                "practice": d.practice.name,
                "chosen": d.chosen,
                "reason": d.reason,
                "status": d.status,
                "reply": d.reply,
                "created_at": d.created_at,
            }
            for d in disputes
        ],
    }


@require_safe
@login_required
def my_data(request):
    """Download everything OpsGuide keeps about the signed-in learner, as JSON."""
    data = json.dumps(_my_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="opsguide-my-data.json"'
    return response


def _forget(user):
    """Delete the account; keep its answers without an owner, and its teams' counts anonymous."""
    counts = list(
        Answer.objects.filter(attempt__user=user)
        .values("practice_id")
        .annotate(total=Count("pk"), missed=Count("pk", filter=Q(is_correct=False)))
        .order_by()
    )
    learned_in = Membership.objects.filter(user=user).learners()
    # Add to each team's tallies in a fixed number of queries, whatever the number
    # of teams and practices. Locking the teams first serialises two members of a
    # team deleting their accounts at once, so neither creates a tally twice.
    team_ids = list(
        Team.objects.select_for_update()
        .filter(pk__in=learned_in.values("team_id"))
        .values_list("pk", flat=True)
    )
    tallies = {
        (tally.team_id, tally.practice_id): tally
        for tally in FormerAnswers.objects.select_for_update().filter(
            team_id__in=team_ids, practice_id__in=[row["practice_id"] for row in counts]
        )
    }
    new = []
    for team_id in team_ids:
        for row in counts:
            tally = tallies.get((team_id, row["practice_id"]))
            if tally is None:
                tally = FormerAnswers(team_id=team_id, practice_id=row["practice_id"])
                new.append(tally)
            tally.answers += row["total"]
            tally.misses += row["missed"]
    FormerAnswers.objects.bulk_update(tallies.values(), ["answers", "misses"], batch_size=500)
    FormerAnswers.objects.bulk_create(new, batch_size=500)
    # No session key either: no browser can claim these attempts back.
    Attempt.objects.filter(user=user).update(user=None, session_key="")
    user.delete()


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit("login_user", key=client_key)
def delete_account(request):
    """Delete the learner's own account after they confirm with their password."""
    user = request.user
    if user.is_staff:
        message = (
            "Staff accounts keep the history of their edits, so they are closed by another "
            "administrator in the admin rather than deleted here."
        )
        return _refuse(request, 403, "Staff accounts are closed in the admin", message)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _forget(user)
        logout(request)
        messages.success(request, "Your account is deleted. Your answers no longer carry a name.")
        return redirect("home")
    sole_lead_of = [
        m.team
        for m in Membership.objects.filter(user=user, role=Membership.Role.LEAD)
        .select_related("team")
        .annotate(leads=Count("team__memberships", filter=Q(team__memberships__role="lead")))
        if m.leads == 1
    ]
    status = 400 if form.is_bound else 200
    context = {"form": form, "sole_lead_of": sole_lead_of}
    return render(request, "onboarding/delete_account.html", context, status=status)
