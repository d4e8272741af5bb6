from django import forms

from comparisons.models import Category


class AnswerForm(forms.Form):
    practice = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    choice = forms.ChoiceField(choices=Category.choices)
    mode = forms.ChoiceField(choices=[("play", "play"), ("board", "board")], required=False)
