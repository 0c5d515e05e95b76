"""Stateful fake servers of the services' APIs, written from their docs."""
