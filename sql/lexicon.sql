-- The lexicon: phrases (stems joined by spaces, as in link_phrases) and
-- the phrases of related meaning a question's words may stand for, with
-- how they relate and how strongly.  load_lexicon() fills it from
-- WordNet's files; anything another source writes keeps its own name and
-- survives a reload.  Public knowledge, readable by every role.
CREATE TABLE lexicon (
    phrase    text NOT NULL,
    related   text NOT NULL,
    relation  text NOT NULL
              CHECK (relation IN ('synonym', 'broader', 'narrower', 'derived', 'inflection')),
    weight    real NOT NULL CHECK (weight > 0 AND weight <= 1),
    source    text NOT NULL,
    PRIMARY KEY (phrase, related)
);
