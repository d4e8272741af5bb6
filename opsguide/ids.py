def parse_id(value):
    """Return a positive database id from untrusted text, or None.

    str.isdigit() alone accepts characters such as "²" that int() rejects.
    """
    if isinstance(value, str) and 0 < len(value) < 10 and value.isascii() and value.isdigit():
        return int(value) or None
    return None
