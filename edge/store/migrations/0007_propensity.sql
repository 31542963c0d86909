-- Propensity models (issue 11): one per site and funnel, retrained by the jobs queue
-- (jobs/propensity.ts). `model` is the JSON of domain/propensity.ts's PropensityModel, NULL
-- while the site has too little data (`reason` says why).
CREATE TABLE propensity_models (
  site       TEXT NOT NULL,
  funnel     TEXT NOT NULL,
  goal       TEXT NOT NULL,
  trained_at INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  converters INTEGER NOT NULL,
  others     INTEGER NOT NULL,
  holdout    INTEGER NOT NULL,
  auc        REAL,
  model      TEXT,
  reason     TEXT,
  PRIMARY KEY (site, funnel)
) WITHOUT ROWID;
