from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from lk3.regions.models import RegionLevel


class RegionSearchQuery(serializers.Serializer[None]):
    q = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=RegionLevel.choices, required=False)
    within = serializers.CharField(max_length=13, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class RegionMatchOut(serializers.Serializer[None]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    path = serializers.CharField(help_text="Parent regions, nearest first.")
    score = serializers.IntegerField(help_text="0-100, higher is closer.")
    reason = serializers.CharField()


class RegionOut(serializers.Serializer[None]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    is_active = serializers.BooleanField()
    path = serializers.ListField(child=serializers.DictField(), help_text="Province first.")


class NikCheckIn(serializers.Serializer[None]):
    nik = serializers.CharField(max_length=64)
    birth_date = serializers.DateField(required=False)
    sex = serializers.ChoiceField(choices=[("L", "L"), ("P", "P")], required=False)


class KkCheckIn(serializers.Serializer[None]):
    kk = serializers.CharField(max_length=64)


class ProblemOut(serializers.Serializer[None]):
    code = serializers.CharField()
    message = serializers.CharField()


# "errors" would shadow Serializer.errors, so the response is declared inline.
IdentityOut = inline_serializer(
    name="IdentityOut",
    fields={
        "valid": serializers.BooleanField(),
        "errors": ProblemOut(many=True),
        "warnings": ProblemOut(many=True),
        "region": serializers.DictField(allow_null=True),
        "birth_date": serializers.DateField(allow_null=True),
        "sex": serializers.CharField(allow_null=True),
        "recorded_date": serializers.DateField(required=False),
    },
)
