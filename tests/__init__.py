"""Tests of the ATESS integration, its client and its simulator."""
