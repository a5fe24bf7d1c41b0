"""Users, in the documented shapes (ref, Users page): profiles with 24-hex string ids and API URLs beside the web one,
the caller's emails, activity grouped by day with a `next` cursor, repository lists (a user's public ones, the
caller's own, the caller's stars) and the caller's namespaces, the caller's pull requests and issues. Everything here
but a profile needs a token (ref: `access_token*`)."""
