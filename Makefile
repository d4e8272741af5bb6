# OpsGuide: `make run` serves the site, `make test` runs the whole suite.
# Both start from a fresh clone: they create .venv and install what is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium

.PHONY: install run test lint format browser redis cluster-tools cluster review-sim clean serve load bench lighthouse

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production settings under gunicorn: needs DJANGO_SECRET_KEY (and
# DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL as DEPLOY.md describes).
serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Set DJANGO_SECRET_KEY first (see DEPLOY.md)"; exit 2; }
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/gunicorn opsguide.wsgi --bind $${BIND:-127.0.0.1:8000} --workers $${WORKERS:-3} \
		--threads $${THREADS:-4} --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# Two gunicorn instances behind nginx on 127.0.0.1:8080, sharing a fresh
# PostgreSQL database and a Redis of their own; Ctrl-C stops them all.
cluster: install cluster-tools
	$(BIN)/python -m loadtest.cluster --database postgres --port 8080

# Locust learners against that cluster: steady, an instance killed, Redis stopped,
# PostgreSQL restarted, then the capacity climb. Restarts this machine's
# PostgreSQL, so it is not part of `make test` (which has a short version).
LEARNERS ?= 200
LOAD_SECONDS ?= 60
load: install cluster-tools redis
	$(BIN)/python -m loadtest --learners $(LEARNERS) --seconds $(LOAD_SECONDS)

# One learner simulated over 60 days of FSRS review: docs/review-60-days.svg.
review-sim: install
	$(BIN)/python -m review.simulation --days 60 --out docs/review-60-days.svg

# Every page's throughput as a ratio to a trivial Django view, at the shipped
# content size and at ten times that; wrk from Debian, loopback only.
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench

# Lighthouse's four scores for the main pages, in Debian's chromium.
lighthouse: install browser
	@test -x .lighthouse/node_modules/.bin/lighthouse || \
		{ mkdir -p .lighthouse && cd .lighthouse && echo '{"private": true}' > package.json && \
		  npm i -E --no-audit --no-fund lighthouse@12.2.3; }
	$(BIN)/python -m bench.lighthouse

# The browser tests drive Debian's chromium; install it when it is missing and we may.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "No $(CHROMIUM): the browser tests will use Playwright's own browser if it is installed"; \
		fi; \
	fi

test: install browser redis
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# nginx balances the two-instance cluster (make cluster, make load, tests/test_cluster.py).
cluster-tools:
	@command -v nginx >/dev/null && command -v redis-server >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light redis-server >/dev/null || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx redis-server >/dev/null; }

# Some tests count rate limits in Redis, as several instances do: start it on
# loopback (keeping nothing on disk) when it is not already answering.
redis: cluster-tools
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes >/dev/null; \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.3; done; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
