"""Forms of referrals out: sending from a case, the partner's answers, revoking, the list's filters."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lk3.core.forms import FilterForm
from lk3.core.models import ServiceType
from lk3.people.models import Consent
from lk3.referrals.models import LegalBasis, Partner, ReferralStatus, SharedItem
from lk3.referrals.referrals import MINIMUM_ITEMS

S = ReferralStatus


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        giver = obj.get_given_by_display()
        if obj.giver_name:
            giver = f"{giver}: {obj.giver_name}"
        return f"{obj.given_on:%d/%m/%Y} · {giver} · {obj.get_method_display()}"


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), to_field_name="public_id"
    )
    service = forms.ModelChoiceField(
        label=_("Service needed"),
        queryset=ServiceType.objects.filter(is_active=True),
        to_field_name="code",
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The partner reads this: write what they need to know for the service."),
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Information shared with the partner"),
        choices=SharedItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Share only what the partner needs. The minimum is ticked."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis for sharing"),
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
    )
    consent = ConsentChoiceField(
        label=_("Data-sharing consent"),
        queryset=Consent.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("— none recorded —"),
    )
    legal_basis_note = forms.CharField(
        label=_("Why the information may be shared without consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Partner],
        consents: list[Consent],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {
            "shared_items": list(MINIMUM_ITEMS),
            "legal_basis": LegalBasis.CONSENT,
            "token": uuid.uuid4(),
        }
        if consents:
            initial["consent"] = consents[0].public_id
        initial.update(kwargs.pop("initial", None) or {})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["consent"].queryset = Consent.objects.filter(  # type: ignore[attr-defined]
            pk__in=[consent.pk for consent in consents]
        ).order_by("-given_on", "-id")


ANSWER_STATUSES = [
    (S.RECEIVED, _("Received")),
    (S.ACCEPTED, _("Accepted")),
    (S.DECLINED, _("Declined")),
    (S.IN_SERVICE, _("In service")),
    (S.COMPLETED, _("Completed")),
]


class AnswerForm(forms.Form):
    to_status = forms.ChoiceField(choices=ANSWER_STATUSES, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the referral is revoked"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *S.choices], required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Any partner"),
    )
    overdue = forms.BooleanField(label=_("Overdue answers only"), required=False)

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class InboxFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *S.choices], required=False
    )
