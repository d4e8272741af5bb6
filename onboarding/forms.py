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


class DateInput(forms.DateInput):
    input_type = "date"


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("read", "Read a dimension"), ("quiz", "Pass a quiz")],
        widget=forms.RadioSelect,
        initial="read",
        label="Kind of step",
    )
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.published(), required=False, label="Dimension to read"
    )
    quiz = forms.ModelChoiceField(
        queryset=Quiz.objects.published(), required=False, label="Quiz to pass"
    )
    due_on = forms.DateField(
        required=False,
        label="Due by (optional)",
        widget=DateInput,
        help_text="Shown to members and on the dashboard; late steps are marked overdue.",
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
        due = {"due_on": self.cleaned_data.get("due_on")}
        if self.cleaned_data["kind"] == "read":
            return {"dimension": self.cleaned_data["dimension"], **due}
        return {"quiz": self.cleaned_data["quiz"], **due}


class DueDateForm(forms.Form):
    due_on = forms.DateField(required=False, label="Due by", widget=DateInput)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it is you.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
