"""An enterprise (the v5 enterprise operations): its members and their roles, and the issues and pull requests of its
repositories. GitCode's pages for these could not be read; the shapes follow Gitee v5 (whose enterprise API GitCode's
v5 copies) with fields as the gitcode-api package (1.3.4) models them: members `{id, login, name, role, user, ...}`,
roles `admin | developer | viewer`, issues and pull requests in the repository answers' shapes with their repository.

Seeded: gitcode-ent, alice its admin and bob a developer; its work is alice/demo's issues and pull requests (issue 1
linked to PR 1) and the mirrors area's gitcode-ent/infra repositories. An enterprise issue is found by the `number`
its repository gave it (the first of the enterprise's repositories that has it), its labels by its `id`.


The enterprise operations documented beside the v5 ones (most in API v8), on the seeded gitcode-ent: members with
role names and ids, invitations and removals, labels, issue statuses, extended issue fields, custom roles, projects,
issue search, milestones, and the enterprise an organization belongs to.

Shapes are those of GitCode's reference pages (see tools/enterprise_v8.py): a v8 member `{user: {..., object_id,
user_id}, active, role, role_name, role_name_cn, role_id, enterprise_email}`; an invitation answers the user with
`permissions`; v5 labels carry dates, v8 ones `{id, name, color}`; milestones list their projects as objects and a
single milestone as names; the organization's enterprise `{id, name}`. `{enterprise}` is the enterprise's path or its
numeric id (the pages call it both), `{enterprise_id}` the number. Refusal sentences are the simulator's.

Seeded: the labels bug and feature, four issue statuses, two extended fields, the custom role "reviewer", the
milestone "2027 H1" on gitcode-ent/infra, gitcode-guild in the enterprise, and dana, a user outside it to invite.
"""
