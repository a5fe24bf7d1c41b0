"""Repository administration: settings read back as written, members' roles, permission mode, push rules, and the
destructive three (transfer, archive, delete), in the documented shapes of the reference's Repositories page
(#10-#19, #27-#33).

Settings live in `Repo.settings`, one section per endpoint, so a PUT is what the next GET answers. Writes need an
administrator of the repository (its owner, an owner or admin of its organization, or a member given the admin
role); reads need a member; others get 403 and anonymous callers 401. Archiving and the organization form of
transfer take the caller's password: the simulator knows alice's (`sandbox-password`) and never echoes what it got.
"""
