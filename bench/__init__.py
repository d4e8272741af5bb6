"""`make bench`: every page against a trivial Django view, under the same server and load."""
