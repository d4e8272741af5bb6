from django import forms
from django.contrib.auth.forms import UserCreationForm

from comparisons.models import Dimension
from quizzes.models import Quiz


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional: lets you reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]


class InviteForm(forms.Form):
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=90, initial=14)
    max_uses = forms.IntegerField(
        label="How many people may use it", min_value=1, max_value=200, initial=10
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("read", "Read a dimension"), ("quiz", "Pass a quiz")], widget=forms.RadioSelect
    )
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.published(), required=False, label="Dimension to read"
    )
    quiz = forms.ModelChoiceField(
        queryset=Quiz.objects.published(), required=False, label="Quiz to pass"
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "read" and not data.get("dimension"):
            self.add_error("dimension", "Choose the dimension to read.")
        if kind == "quiz" and not data.get("quiz"):
            self.add_error("quiz", "Choose the quiz to pass.")
        return data

    def step_fields(self):
        if self.cleaned_data["kind"] == "read":
            return {"dimension": self.cleaned_data["dimension"]}
        return {"quiz": self.cleaned_data["quiz"]}
