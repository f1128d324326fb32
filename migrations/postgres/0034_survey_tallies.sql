-- Issue 15, item 7: tasks 2.1.1 and 2.1.4 are counted from the out-migrant registry and the
-- five-ones services (tally kinds `surveyed`, `intending`, `five_ones`). The rows are already
-- there, so the next start builds every tally anew from them.
UPDATE figure_rebuild SET pending = TRUE;
