"""Let an app add a piece to another app's page without that app importing it.

Dependencies point one way (comparisons ← quizzes ← onboarding), yet a
dimension page shows onboarding's "Mark as read" button to a learner whose
track includes it. Onboarding registers a function here when it starts; the
dimension view calls what is registered and shows the HTML it returns.
"""

_dimension_extras = []


def add_dimension_extra(function):
    """Register function(request, dimension) -> HTML or "" for every dimension page."""
    if function not in _dimension_extras:
        _dimension_extras.append(function)
    return function


def dimension_extras(request, dimension):
    """Return the HTML pieces other apps add to this dimension's page."""
    return [html for function in _dimension_extras if (html := function(request, dimension))]
