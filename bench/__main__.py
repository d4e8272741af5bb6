"""Measure OpsGuide's pages against Django's own floor, as ratios within one run.

    python -m bench [--duration 3] [--rounds 3] [--scales 1 10]

For each content size it builds a fresh SQLite database, starts gunicorn with
production settings on loopback (2 sync workers), and drives each endpoint
with wrk (2 threads, 16 connections, a fixed time). The baseline is a trivial
view rendering a small static template in the same project, settings and
server. The learner bound is the least a learner page can do (read the session,
check that the attempt is the learner's, return a fixed body): no learner row
can go above it. Each endpoint runs in several rounds, each between two runs of
the baseline; a round's ratio is to the mean of its two baseline runs and the
endpoint's ratio is the median round's. Results go to bench/results/latest.json,
latest.svg and latest.txt (the printed table).
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from loadtest.server import gunicorn, manage, production_env

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# The floors each kind of endpoint holds, as a ratio to the baseline view. The
# learner bound (bench/views.py) has none: it shows how high a learner row could go.
TARGETS = {"content": 0.8, "learner": 0.4, "answer": 0.25, "bound": None}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def environment(database):
    return production_env(
        f"sqlite:///{database}", DJANGO_BENCH_BASELINE="1", DJANGO_RATE_LIMITS_OFF="1"
    )


def prepare_database(env, scale):
    manage(env, "migrate", "--no-input", "-v0")
    if scale > 1:
        code = f"from content.scale import multiply_content; multiply_content({scale})"
        manage(env, "shell", "-c", code)


def learner_sessions(base):
    """Return (cookies of a learner mid-quiz, answer form, cookies and URL of a finished one)."""
    practice = re.compile(r'name="practice" value="(\d+)"')
    action = re.compile(r'<form id="choices"[^>]*\saction="([^"]+)"')

    def start(client):
        client.get("/quizzes/warm-up/")
        token = client.cookies["csrftoken"]
        client.post("/quizzes/warm-up/start/", headers={"X-CSRFToken": token})
        return token

    mid = httpx.Client(base_url=base, follow_redirects=True)
    token = start(mid)
    first = None
    for _ in range(3):
        page = mid.get("/quizzes/warm-up/").text
        data = {"practice": practice.search(page).group(1), "choice": "both"}
        url = action.search(page).group(1)
        first = first or (url, data)
        mid.post(url, data=data, headers={"X-CSRFToken": token, "HX-Request": "true"})
    done = httpx.Client(base_url=base, follow_redirects=True)
    done_token = start(done)
    results_url = ""
    while found := practice.search(page := done.get("/quizzes/warm-up/").text):
        data = {"practice": found.group(1), "choice": "mlops"}
        url = action.search(page).group(1)
        feedback = done.post(url, data=data, headers={"X-CSRFToken": done_token}).text
        if link := re.search(r'href="(/quizzes/warm-up/results/[^"]+)"', feedback):
            results_url = link.group(1)
    if not results_url:
        raise SystemExit("could not finish a quiz to measure its results page")
    cookie = lambda client: "; ".join(f"{k}={v}" for k, v in client.cookies.items())  # noqa: E731
    return cookie(mid), token, first, cookie(done), results_url


# wrk runs this in each of its two threads. Each request answers a card not
# answered yet, taken from a pool file; the offset file carries on between runs,
# so no run replays another's cards (a replay would be the cheap repeat path).
FRESH_CARDS_LUA = """
local pool, offset_file = "{pool}", "{offset}"
local threads = {{}}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  lines = {{}}
  for line in io.lines(pool) do table.insert(lines, line) end
  local f = io.open(offset_file)
  start = f and tonumber(f:read("*a")) or 0
  if f then f:close() end
  n = 0
end
function request()
  local line = lines[(start + id + 2 * n) % #lines + 1]
  n = n + 1
  local path, cookie, token, body = line:match("([^|]*)|([^|]*)|([^|]*)|(.*)")
  return wrk.format("POST", path, {{
    ["Cookie"] = cookie, ["X-CSRFToken"] = token, ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
function done(summary, latency, requests)
  local f = io.open(offset_file)
  local start = f and tonumber(f:read("*a")) or 0
  if f then f:close() end
  f = io.open(offset_file, "w")
  f:write(tostring(start + summary.requests + 64))
  f:close()
end
"""


def fresh_cards(base, workdir, cards):
    """Deal attempts at the full mix until they hold `cards` cards not answered yet.

    Return a wrk script that answers each of them once, and how many it holds.
    """
    practice = re.compile(r'name="practice" value="(\d+)"')
    action = re.compile(r'<form method="post" action="([^"]+/answer/)"')
    lines = []
    while len(lines) < cards:
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            client.get("/quizzes/full-mix/")
            token = client.cookies["csrftoken"]
            board = client.post(
                "/quizzes/full-mix/start/", data={"mode": "board"}, headers={"X-CSRFToken": token}
            ).text
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            url = action.search(board).group(1)
            lines += [
                f"{url}|{cookie}|{token}|practice={pk}&choice=both"
                for pk in practice.findall(board)
            ]
    return pool_script(workdir, "fresh-cards", lines)


def pool_script(workdir, name, lines):
    """Write a pool of `path|cookie|token|body` lines and the wrk script that sends each once.

    Return the script and how many lines the pool holds.
    """
    pool = workdir / f"{name}.txt"
    pool.write_text("\n".join(lines) + "\n")
    offset = workdir / f"{name}.offset"
    offset.unlink(missing_ok=True)
    script = workdir / f"{name}.lua"
    script.write_text(FRESH_CARDS_LUA.format(pool=pool, offset=offset))
    return script, len(lines)


# Run by `manage.py shell` against the server's database, after PARAMS = {"cards": …,
# "out": …}. Learners get review cards as a quiz answered right a month ago would have
# made them (review.scheduling.seed, so FSRS decides the state; the pool's learners
# copy the first one's cards, which is quicker than seeding each), and sessions as if
# they had signed in: Client.force_login writes the session to the database, where
# the server finds it, without hashing a password (a fifth of a second a learner).
REVIEW_LEARNERS = """
import json
from datetime import timedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import Client
from django.utils import timezone
from comparisons.models import Practice
from review import scheduling
from review.models import ReviewCard, ReviewLog

User = get_user_model()
practices = list(Practice.objects.quizzable().order_by("pk"))
per_learner = min(settings.REVIEW_DAILY_LIMIT, len(practices))
answered_at = timezone.now() - timedelta(days=30)  # learned then; due after a few days


def learner(user, cards):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"cookie": f"{session.key}={session.value}", "practices": [p.pk for p in cards]}


def seeded(name, cards):
    user = User.objects.create(username=name, password=make_password(None))
    for practice in cards:
        scheduling.seed(user, practice, choice=practice.category, is_correct=True, now=answered_at)
    return user


with transaction.atomic():
    page = learner(seeded("bench-review-page", practices), practices)
    mine = practices[:per_learner]
    first = seeded("bench-reviewer-0", mine)
    others = User.objects.bulk_create(
        User(username=f"bench-reviewer-{n}", password=make_password(None))
        for n in range(1, -(-PARAMS["cards"] // per_learner))
    )
    for model in (ReviewCard, ReviewLog):
        fields = [f.attname for f in model._meta.concrete_fields]
        fields = [name for name in fields if name not in ("id", "user_id")]
        rows = list(model.objects.filter(user=first).values(*fields))
        copies = (model(user=user, **row) for user in others for row in rows)
        model.objects.bulk_create(copies, batch_size=500)
    pool = [learner(user, mine) for user in [first, *others]]
with open(PARAMS["out"], "w") as out:
    json.dump({"page": page, "pool": pool}, out)
"""


def due_reviews(env, base, workdir, cards):
    """Make learners with review cards due now, for the review page and review answers.

    Each learner of the pool holds at most a day's limit of due cards, so that
    answering every one of them never meets the limit. Return the page learner's
    cookie, a wrk script that answers each pooled card once (via htmx), how many
    cards it holds, and one more due card's (cookie, token, form) to weigh the response.
    """
    out = workdir / "review-learners.json"
    params = json.dumps({"cards": cards + 1, "out": str(out)})
    manage(env, "shell", "-c", f"PARAMS = {params}\n{REVIEW_LEARNERS}")
    made = json.loads(out.read_text())
    columns = []
    with httpx.Client(base_url=base) as client:
        for learner in made["pool"]:
            # Signed in: the review page offers a card, and sets the CSRF cookie to post with.
            client.cookies.clear()
            page = client.get("/review/", headers={"Cookie": learner["cookie"]})
            if "due now" not in page.text or "csrftoken" not in page.cookies:
                raise SystemExit("a benchmark learner is not signed in or has no card due")
            token = page.cookies["csrftoken"]
            cookie = f"{learner['cookie']}; csrftoken={token}"
            columns.append([(cookie, token, pk) for pk in learner["practices"]])
    # Learner after learner, so that concurrent requests are different learners' answers.
    deal = [card for row in zip(*columns, strict=True) for card in row]
    cookie, token, pk = deal.pop()
    sample = (cookie, token, {"practice": pk, "choice": "both"})
    lines = [f"/review/answer/|{c}|{t}|practice={pk}&choice=both" for c, t, pk in deal]
    script, count = pool_script(workdir, "due-reviews", lines)
    return made["page"]["cookie"], script, count, sample


def wrk(url, duration, headers=(), script=None):
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


BASELINE = ("baseline", "/_bench/baseline/", (), None, None)


def measure_endpoints(base, endpoints, duration, repeats, size_of, only=()):
    """Measure each endpoint against the baseline on the server at `base`; return rows, baselines.

    This machine's speed drifts by a fifth within seconds (other tenants, CPU
    boost). So each endpoint runs `repeats` times, each run between two runs of
    the baseline; a round's ratio is to the mean of those two, and the
    endpoint's ratio is the median round's.
    """

    def run(name, path, headers, lua, kind, warm=False):
        url = base + path
        if warm:
            wrk(url, 1, headers, lua)  # caches and connections
        return {"name": name, "path": path, "kind": kind, **wrk(url, duration, headers, lua)}

    baselines = []
    rows = []
    for name, path, headers, lua, kind in endpoints:
        if only and not any(word in name for word in only):
            continue
        run(*BASELINE, warm=True)
        run(name, path, headers, lua, kind, warm=True)
        rounds = []
        before = run(*BASELINE)
        baselines.append(before)
        for _ in range(repeats):
            figures = run(name, path, headers, lua, kind)
            after = run(*BASELINE)
            baselines.append(after)
            figures["baseline_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
            figures["ratio"] = round(figures["rps"] / figures["baseline_rps"], 2)
            rounds.append(figures)
            before = after
        row = dict(sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2])
        target = TARGETS[kind]
        row.update(
            bytes=size_of(path, headers, lua),
            target=target,
            ok=target is None or row["ratio"] >= target,
            rounds=[r["ratio"] for r in rounds],
        )
        rows.append(row)
    return rows, baselines


def measure(scale, duration, repeats, workdir, only=()):
    database = workdir / f"bench-{scale}.sqlite3"
    env = environment(database)
    prepare_database(env, scale)
    with gunicorn(env, workers=2) as base:
        mid_cookie, token, (answer_url, answer_data), done_cookie, results_url = learner_sessions(
            base
        )
        script = workdir / "answer.lua"
        body = "&".join(f"{k}={v}" for k, v in answer_data.items())
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["X-CSRFToken"] = "{token}"\n'
            'wrk.headers["HX-Request"] = "true"\n'
            f'wrk.headers["Cookie"] = "{mid_cookie}"\n'
        )
        # Enough new cards for 2,500 answers a second, twice what this machine
        # has served, over the row's warm-up and rounds: none is answered twice.
        fresh, cards = fresh_cards(base, workdir, 2500 * (1 + repeats * duration))
        # The same for review answers: due cards for 1,500 a second, more than twice the
        # new-card answers above, which do less work. Each answers a different due card.
        review_cookie, reviews, review_cards, review_sample = due_reviews(
            env, base, workdir, 1500 * (1 + repeats * duration)
        )
        attempt_id = re.search(r"[0-9a-f-]{36}", answer_url).group()  # the mid-quiz learner's
        bound_url = f"/_bench/learner-bound/{attempt_id}/"
        endpoints = [
            ("home", "/", (), None, "content"),
            ("compare", "/compare/", (), None, "content"),
            ("dimension", "/compare/monitoring/", (), None, "content"),
            ("practices?q=model", "/practices/?q=model", (), None, "content"),
            ("learner bound", bound_url, (f"Cookie: {mid_cookie}",), None, "bound"),
            ("quiz play", "/quizzes/warm-up/", (f"Cookie: {mid_cookie}",), None, "learner"),
            ("answer, new card", answer_url, (), str(fresh), "answer"),
            ("answer, same card again", answer_url, (), str(script), "answer"),
            ("results", results_url, (f"Cookie: {done_cookie}",), None, "learner"),
            ("review page", "/review/", (f"Cookie: {review_cookie}",), None, "learner"),
            ("review answer", "/review/answer/", (), str(reviews), "answer"),
        ]
        posts = {answer_url: (mid_cookie, token, answer_data), "/review/answer/": review_sample}

        def size_of(path, headers, lua, base=base):
            if lua:
                cookie, csrf, data = posts[path]
                response = httpx.post(
                    base + path,
                    data=data,
                    headers={"X-CSRFToken": csrf, "HX-Request": "true", "Cookie": cookie},
                )
            else:
                response = httpx.get(base + path, headers=dict(h.split(": ", 1) for h in headers))
            return len(response.content)

        rows, baselines = measure_endpoints(base, endpoints, duration, repeats, size_of, only)
        for name, pool, size in [
            ("answer, new card", fresh, cards),
            ("review answer", reviews, review_cards),
        ]:
            offset = pool.with_suffix(".offset")
            used = int(offset.read_text()) if offset.exists() else 0
            if used > size:  # the pool ran out: later requests were repeats, not new answers
                row = next(r for r in rows if r["name"] == name)
                row.update(ok=False, name=f"{name} ({size} cards, {used} sent!)")
        baseline_bytes = size_of(BASELINE[1], (), None)
    summary = dict(baselines[0])
    for key in ("rps", "p50_ms", "p99_ms"):
        summary[key] = round(sum(b[key] for b in baselines) / len(baselines), 2)
    summary.update(ratio=1.0, target=None, ok=True, runs=len(baselines), bytes=baseline_bytes)
    rows.insert(0, summary)
    return rows


def svg_chart(results):
    """Return a small SVG bar chart of the ratios to the baseline, one group per scale."""
    bar, gap, width = 16, 6, 640
    rows = [(scale, row) for scale, table in results.items() for row in table[1:]]
    height = 40 + len(rows) * (bar + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        '<text x="10" y="18" font-weight="bold">Throughput as a share of the baseline view</text>',
    ]
    y = 30
    scale_x = (width - 260) / 1.2
    for scale, row in rows:
        length = min(row["ratio"], 1.2) * scale_x
        colour = "#17663a" if row["ok"] else "#a3261b"
        parts.append(f'<text x="10" y="{y + 12}">{row["name"]} ×{scale}</text>')
        parts.append(f'<rect x="200" y="{y}" width="{length:.0f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{205 + length:.0f}" y="{y + 12}">{row["ratio"]:.2f}</text>')
        if row["target"]:
            tx = 200 + row["target"] * scale_x
            parts.append(
                f'<line x1="{tx:.0f}" x2="{tx:.0f}" y1="{y}" y2="{y + bar}" stroke="#000"/>'
            )
        y += bar + gap
    parts.append("</svg>")
    return "\n".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark OpsGuide against a baseline view.")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per endpoint")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument(
        "--only", nargs="+", default=(), help="measure only endpoints whose names contain a word"
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            results[scale] = measure(scale, args.duration, args.rounds, Path(tmp), args.only)
    failed = False
    table = []

    def show(line):  # the table goes to the terminal and to latest.txt
        table.append(line)
        print(line)

    for scale, rows in results.items():
        show(
            f"\n== content ×{scale} (wrk -t2 -c16, {args.rounds} rounds of {args.duration}s, "
            "gunicorn 2 sync workers) =="
        )
        show(f"{'endpoint':22} {'req/s':>8} {'base/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'ratio':>6} {'target':>6} {'bytes':>7}")  # fmt: skip
        for row in rows:
            target = f"{row['target']:.1f}" if row["target"] else "–"
            flag = "" if row["ok"] else "  BELOW TARGET"
            errors = f"  {row['non_2xx']} non-2xx" if row["non_2xx"] else ""
            if row.get("rounds"):
                flag = f"  rounds {' '.join(f'{r:.2f}' for r in row['rounds'])}{flag}"
            show(
                f"{row['name']:22} {row['rps']:8.0f} {row.get('baseline_rps', row['rps']):8.0f} "
                f"{row['p50_ms']:8.2f} {row['p99_ms']:8.2f} "
                f"{row['ratio']:6.2f} {target:>6} {row['bytes']:7d}{flag}{errors}"
            )
            failed |= not row["ok"] or bool(row["non_2xx"])
    if args.only:  # a partial run: printed, not recorded
        return 1 if failed else 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "latest.svg").write_text(svg_chart(results) + "\n")
    (RESULTS / "latest.txt").write_text("\n".join(table) + "\n")
    print(f"\nWrote {RESULTS / 'latest.json'}, latest.svg and latest.txt")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
