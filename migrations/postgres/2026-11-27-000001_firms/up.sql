-- Firms and the facts staff keep about them. UUIDs are TEXT generated in Rust (v7);
-- timestamps are UTC set in Rust; money is whole yuan in BIGINT. NULL means "not known".
CREATE TABLE firms (
    id TEXT PRIMARY KEY NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT,
    region_code TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    founded_on DATE NOT NULL,
    listed_on DATE,
    status TEXT NOT NULL CHECK (status IN ('active', 'deregistered')),
    credit_ok BOOLEAN,
    tech_firm BOOLEAN,
    key_tech_breakthrough BOOLEAN,
    in_gazelle_pool BOOLEAN,
    in_key_tech_field BOOLEAN,
    major_violation_on DATE,
    version BIGINT NOT NULL CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX firms_region_code ON firms (region_code, id);
CREATE INDEX firms_industry_code ON firms (industry_code, id);

CREATE TABLE annual_figures (
    firm_id TEXT NOT NULL REFERENCES firms (id),
    fiscal_year INTEGER NOT NULL,
    revenue BIGINT,
    rd_expense BIGINT,
    rd_expense_domestic BIGINT,
    high_tech_revenue BIGINT,
    total_assets BIGINT,
    net_assets BIGINT,
    employees BIGINT,
    tech_staff BIGINT,
    ip_class1 BIGINT,
    ip_class2 BIGINT,
    innovation_score BIGINT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (firm_id, fiscal_year)
);

CREATE TABLE financings (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    closed_on DATE NOT NULL,
    round TEXT NOT NULL,
    amount_value BIGINT,
    amount_currency TEXT CHECK (amount_currency IN ('CNY', 'USD')),
    valuation_value BIGINT,
    valuation_currency TEXT CHECK (valuation_currency IN ('CNY', 'USD')),
    investor_kind TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX financings_firm ON financings (firm_id, closed_on);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms (id),
    kind TEXT NOT NULL CHECK (kind IN ('high_tech')),
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (kind, number)
);
CREATE INDEX certificates_firm ON certificates (firm_id, issued_on);
