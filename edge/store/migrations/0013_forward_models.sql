-- Prediction that looks forward (issue 23): each model is trained at earlier cutoff dates and
-- measured at a later one. `evaluation` holds what that measured (domain/forward.ts: the cutoffs,
-- the horizon, the baselines' AUC, calibration, a leakage warning); NULL for a model trained the
-- old way, which is not used until the next run retrains it.
ALTER TABLE propensity_models ADD COLUMN evaluation TEXT;

-- Churn: one model per site, the chance that a returning visitor does not come back within the
-- horizon. `training` is the JSON of domain/forward.ts's Training (its model NULL while the site
-- has too little data, with the reason).
CREATE TABLE churn_models (
  site       TEXT PRIMARY KEY,
  trained_at INTEGER NOT NULL,
  training   TEXT NOT NULL
) WITHOUT ROWID;
