from django import forms

from comparisons.models import Category


class AnswerForm(forms.Form):
    """One answer: which card, which bucket, and which way of playing it came from."""

    practice = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    choice = forms.ChoiceField(choices=Category.choices)
    mode = forms.ChoiceField(choices=[("play", "card"), ("board", "sort board")], required=False)
    guessed = forms.BooleanField(required=False)  # "I guessed": a right guess is rated Hard

    def clean_mode(self):
        return self.cleaned_data["mode"] or "play"


class DisputeForm(forms.Form):
    practice = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why do you think it belongs elsewhere?",
        min_length=10,
        max_length=1000,
        # Opening "I disagree" puts the learner straight into the box (htmx
        # focuses autofocus elements it swaps in; a full page load does too).
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000, "autofocus": True}),
        help_text="An editor reads every note and may change the content.",
    )
    proposed = forms.ChoiceField(
        label="Which bucket do you think it belongs in? (optional)",
        choices=Category.choices,
        required=False,
        widget=forms.RadioSelect,
    )
