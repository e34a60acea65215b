"""Tests of the ATESS cloud client (custom_components/atess/api)."""
