from django import forms

from comparisons.models import Category


class ReviewForm(forms.Form):
    """One review answer: which card, which bucket, and whether the learner guessed."""

    practice = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    choice = forms.ChoiceField(choices=Category.choices)
    guessed = forms.BooleanField(required=False)
