-- Xuequ 0014: pruning old runs' results.
--
-- Every run keeps its result rows (a full Beijing-size run writes about 1.7 million), so that an
-- earlier run stays explainable. `xuequ nightly prune` deletes the result rows of runs that no
-- published pointer uses any more and that started before a cutoff, and records when: the run's
-- row itself (status, counts, stages) stays in the history.
ALTER TABLE nightly_run ADD COLUMN pruned_at timestamptz;
