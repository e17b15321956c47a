-- One row per e-mail address and per network address that has tried to sign in: a sign-in
-- attempt updates its two rows first, so that attempts for the same account or from the
-- same address are counted one after the other, never side by side.
CREATE TABLE sign_in_throttle (
    key TEXT PRIMARY KEY
);
