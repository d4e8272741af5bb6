"""Load runs: a two-instance cluster (`make cluster`), Locust learners, faults (`make load`)."""
