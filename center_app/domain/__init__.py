"""Pure rules of the domain: standard library (plus jpholiday, jaconv, dateutil) only, no Qt, no DB."""
