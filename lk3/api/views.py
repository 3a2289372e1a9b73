"""REST endpoints: thin, they call the same selectors and parsers as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lk3.accounts.permissions import is_active_member
from lk3.api import serializers
from lk3.regions.identity import parse_kk, parse_nik
from lk3.regions.selectors import region_by_code, region_path, region_search
from lk3.regions.summaries import identity_summary


class MemberAPIView(APIView):
    """Any active user of an organisation (regions and identity checks hold no case data)."""

    def initial(self, request: Request, *args: object, **kwargs: object) -> None:
        super().initial(request, *args, **kwargs)
        if not is_active_member(request.user):
            raise PermissionDenied


class RegionSearchView(MemberAPIView):
    @extend_schema(
        parameters=[serializers.RegionSearchQuery],
        responses=serializers.RegionMatchOut(many=True),
        summary="Search regions by code or name (typo-tolerant)",
    )
    def get(self, request: Request) -> Response:
        query = serializers.RegionSearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        matches = region_search(
            params["q"],
            level=params.get("level"),
            within=params.get("within"),
            limit=params["limit"],
        )
        return Response(
            [
                {
                    "code": match.region.code,
                    "name": match.region.name,
                    "level": match.region.level,
                    "path": match.parent_names,
                    "score": match.score,
                    "reason": str(match.reason),
                }
                for match in matches
            ]
        )


class RegionDetailView(MemberAPIView):
    @extend_schema(responses=serializers.RegionOut, summary="One region with its parents")
    def get(self, request: Request, code: str) -> Response:
        region = region_by_code(code)
        if region is None:
            raise NotFound
        path = [
            {"code": item.code, "name": item.name, "level": item.level}
            for item in region_path(region)
        ]
        return Response(
            {
                "code": region.code,
                "name": region.name,
                "level": region.level,
                "is_active": region.is_active,
                "path": path,
            }
        )


class NikCheckView(MemberAPIView):
    @extend_schema(
        request=serializers.NikCheckIn,
        responses=serializers.IdentityOut,
        summary="Decode and check a NIK (nothing is stored)",
    )
    def post(self, request: Request) -> Response:
        given = serializers.NikCheckIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        result = parse_nik(data["nik"], birth_date=data.get("birth_date"), sex=data.get("sex"))
        return Response(identity_summary(result))


class KkCheckView(MemberAPIView):
    @extend_schema(
        request=serializers.KkCheckIn,
        responses=serializers.IdentityOut,
        summary="Decode and check a family card (KK) number (nothing is stored)",
    )
    def post(self, request: Request) -> Response:
        given = serializers.KkCheckIn(data=request.data)
        given.is_valid(raise_exception=True)
        return Response(identity_summary(parse_kk(given.validated_data["kk"])))
