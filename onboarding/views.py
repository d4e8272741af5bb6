import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comparisons.models import Dimension
from opsguide.ids import parse_id
from opsguide.ratelimit import client_ip, ratelimit
from quizzes.models import Attempt

from .forms import InviteForm, SignUpForm, StepForm
from .models import Invite, Membership, ReadMark, Step, Team, Track
from .progress import progress, weak_spots


def _team_for(request, slug, *, change):
    """Return the team if the user may read (or, with change, manage) it; else 404.

    A team's lead may do both; anyone else needs the onboarding permission for
    it. 404 reveals nothing about teams the user may not see.
    """
    team = Team.objects.filter(slug=slug).first()
    allowed = team is not None and (
        team.can_manage(request.user) if change else team.can_view_progress(request.user)
    )
    if not allowed:
        raise Http404("No such team.")
    return team


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
    return render(request, "onboarding/me.html", {"rows": rows, "attempts": attempts})


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
    memberships = list(team.memberships.select_related("user").order_by("user__username"))
    track, steps = _steps(team)
    user_ids = [m.user_id for m in memberships]
    cells = progress(user_ids, steps)
    rows = []
    for membership in memberships:
        row = [cells[(membership.user_id, step.pk)] for step in steps]
        done = sum(1 for cell in row if cell.done)
        rows.append((membership, row, done))
    per_step = [sum(1 for m in memberships if cells[(m.user_id, step.pk)].done) for step in steps]
    return memberships, track, steps, rows, per_step


@require_safe
@login_required
def team(request, slug):
    """The lead's dashboard: members × steps, completion, and the team's weak spots."""
    team = _team_for(request, slug, change=False)
    memberships, track, steps, rows, per_step = _grid(team)
    context = {
        "team": team,
        "track": track,
        "steps": steps,
        "rows": rows,
        "per_step": list(zip(steps, per_step, strict=True)),
        "member_total": len(memberships),
        "weak_spots": weak_spots([m.user_id for m in memberships]),
    }
    return render(request, "onboarding/team.html", context)


@require_safe
@login_required
def team_csv(request, slug):
    team = _team_for(request, slug, change=False)
    _, _, steps, rows, _ = _grid(team)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{team.slug}-progress.csv"'
    writer = csv.writer(response)
    writer.writerow(["member", "role", "steps done", "steps total", *map(str, steps)])
    for membership, row, done in rows:
        cells = [
            ("done" if cell.done else "to do")
            + (f" ({cell.best}%)" if cell.best is not None else "")
            for cell in row
        ]
        writer.writerow(
            [
                _csv_safe(membership.user.get_username()),
                membership.role,
                done,
                len(steps),
                *cells,
            ]
        )
    return response


def _csv_safe(text):
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@require_http_methods(["GET", "POST"])
@login_required
def team_track(request, slug):
    """Let a lead add, remove and reorder the steps of the team's track."""
    team = _team_for(request, slug, change=True)
    track, _ = Track.objects.get_or_create(team=team)
    form = StepForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            if form.is_valid():
                last = track.steps.aggregate(last=Max("position"))["last"] or 0
                Step.objects.create(track=track, position=last + 1, **form.step_fields())
                return redirect("onboarding:track", slug=team.slug)
        else:
            step = track.steps.filter(pk=parse_id(request.POST.get("step"))).first()
            if step is None or action not in {"remove", "up", "down"}:
                return HttpResponse("Unknown step or action.", status=400)
            if action == "remove":
                step.delete()
            else:
                _move(track, step, -1 if action == "up" else 1)
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
    steps = list(track.steps.all())
    index = steps.index(step)
    other = index + offset
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
        with transaction.atomic():
            for position, each in enumerate(steps, start=1):
                if each.position != position:
                    Step.objects.filter(pk=each.pk).update(position=position)


@require_http_methods(["GET", "POST"])
@login_required
def team_invites(request, slug):
    """List the team's invites and let a lead create one."""
    team = _team_for(request, slug, change=True)
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


@require_POST
@login_required
def revoke_invite(request, slug, pk):
    team = _team_for(request, slug, change=True)
    invite = get_object_or_404(Invite, team=team, pk=pk)
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    messages.success(request, "Invite revoked: the link no longer works.")
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
