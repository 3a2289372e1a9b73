"""Stub: filled by its area's engineer."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
