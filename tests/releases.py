"""The last migration of each app in each shipped release, for the upgrade tests."""

# Release 1: the first release with content.
PREVIOUS_RELEASE = [
    ("comparisons", "0003_content_version"),
    ("quizzes", "0005_attempt_answered"),
    ("onboarding", "0001_initial"),
]

RELEASE_2 = [
    ("comparisons", "0004_practice_revision_and_rule_reason"),
    ("quizzes", "0005_attempt_answered"),
    ("onboarding", "0001_initial"),
    ("content", "0002_release_2"),
]

RELEASE_3 = [
    ("comparisons", "0004_practice_revision_and_rule_reason"),
    ("quizzes", "0006_dispute_address"),
    ("onboarding", "0002_team_permissions"),
    ("content", "0003_release_3"),
]

RELEASE_4 = [
    ("comparisons", "0004_practice_revision_and_rule_reason"),
    ("quizzes", "0007_attempt_answered_ids"),
    ("onboarding", "0002_team_permissions"),
    ("content", "0003_release_3"),
    ("opsguide", "0001_rate_counter"),
]
