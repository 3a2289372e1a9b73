"""Deterministic demo data: organisations, the board, demo accounts, persons, cases.

``python manage.py seed --scale demo|city|province`` is a thin interface to
``lk3.seed.run.seed_run``. Rules the whole package keeps:

- Same command, same data: every generator draws from its own
  ``random.Random`` stream named after what it generates (``streams.py``),
  so adding a generator later (cases, referrals) never shifts the data of
  the ones already there.
- Organisations, users and board members are created through the
  ``lk3.accounts`` services, which audit themselves; persons and cases are
  bulk inserted with one audit event each per run
  (``seed.persons_generated``, ``seed.cases_generated``).
- Regions come from the Region table (``load_reference``), never from
  literals, except the codes the brief names (Kota Bontang and its
  kelurahan).
- Names are drawn from lists of given names and family names; full names
  of real public figures are refused (``names.REFUSED_FULL_NAMES``).
"""
