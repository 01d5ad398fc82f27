"""Fakes, fixtures and helpers the tests share; no test module imports another."""
