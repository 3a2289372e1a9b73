from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lk3.audit import actions
from lk3.audit.selectors import AuditFilters
from lk3.core.forms import FilterForm


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=100)
    target_type = forms.CharField(label=_("Record type"), required=False, max_length=80)
    target_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [
            ("", _("All actions")),
            *sorted(
                ((code, str(label)) for code, label in actions.LABELS.items()), key=lambda c: c[1]
            ),
        ]

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        return AuditFilters(**self.cleaned_data)
