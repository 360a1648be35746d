"""The use cases of spasmwatch, one module per workflow.

Each use case is a plain function taking the unit of work (the :class:`~spasmwatch.store.
Database`, whose transactions it opens), the principal (who asks) and the input, and
returning typed data. The web routes and the CLI commands parse their input, call one such
function and present its result; errors are :mod:`spasmwatch.errors` (``NotFound``,
``Forbidden``, ``Conflict``, ``InvalidInput``, ``InvalidCase``), which each shell maps once
(HTTP statuses, exit codes).

- :mod:`~spasmwatch.diary.access`: who may do what with a child;
- :mod:`~spasmwatch.diary.state`: the derived state of a diary, stored once per change;
- :mod:`~spasmwatch.diary.children`: add, edit, list and delete children;
- :mod:`~spasmwatch.diary.episodes`: log, edit and delete episodes;
- :mod:`~spasmwatch.diary.overview`: what the child page and the API read;
- :mod:`~spasmwatch.diary.checks`: a quick check made with a child's diary, nothing stored;
- :mod:`~spasmwatch.diary.recordings`: videos and EEG files, and their analysis jobs;
- :mod:`~spasmwatch.diary.sharing`: share links, members and invitations;
- :mod:`~spasmwatch.diary.audit`: the audit of reads, written after the answer in batches.
"""
