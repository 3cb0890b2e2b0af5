// Value pools for the bad-input fuzz. Every value is JSON text (not a JS value), so the pools can hold what
// JSON.stringify would never write: duplicate keys, "__proto__" keys, escaped lone surrogates.

const json = (value) => JSON.stringify(value);

/** Values of every JSON type that is not a string, for fields that expect a string (and the reverse). */
export const wrongTypeValues = [
  "0", "-1", "1.5", "1e308", "-0", "9007199254740993",
  "true", "false", "null",
  "[]", '["a"]', "[null]", "[[[]]]",
  "{}", '{"$gt":""}', '{"__proto__":{"isAdmin":true}}', '{"toString":"x"}',
];

/** Strings that have broken servers before: control characters, surrogates, injections, odd URLs and emails. */
export const oddStrings = [
  json(""), json(" "), json("\u0000"), json("a\u0000b"),
  json("\ud800"), json("x\udc00y"), json("\ud83d"), // lone surrogates, escaped by JSON.stringify
  json("😀👩‍👩‍👧"), json("\u202eevil.com"), json("\u200b\ufeff"), json("e\u0301"), json("ﬀİß"), json("\uffff"),
  json("<script>alert(1)</script>"), json("' OR '1'='1' --"), json("Robert'); DROP TABLE user;--"),
  json("%00%ZZ%"), json("%s%n%x%d"), json("../../../etc/passwd"), json("\r\nSet-Cookie: injected=1"),
  json("javascript:alert(1)"), json("//evil.example"), json("http://evil.example/x"), json("\\\\evil"),
  json("{{7*7}}${7*7}"), json("null"), json("undefined"), json("NaN"),
  json("a@b"), json("@"), json("a@b@c.d"), json(" Spaced@Example.COM "), json("x".repeat(300) + "@example.com"),
  json("+1 (555) 000-1111"), json("0000000000000000000000000000000000000"),
  json("long-" + "x".repeat(10_000)),
];

/** A JSON string of about `bytes` bytes. */
export const hugeString = (bytes) => `"${"h".repeat(bytes)}"`;

/** Extra members a client might add hoping the server stores them. */
export const extraMembers = [
  '"role":"admin"', '"emailVerified":true', '"id":"fuzz-id"', '"userId":"fuzz-user"', '"banned":false',
  '"__proto__":{"role":"admin"}', '"constructor":{"prototype":{"x":1}}', '"twoFactorEnabled":true', '"unknownField":[1,2,3]',
];

/** Bodies that are not well-formed JSON, or not an object. */
export const malformedBodies = [
  "{", "}", "{\"a\":", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "[1,2", "nul", "tru", "{\"a\":1}}", "\"unterminated",
  "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}", "/* c */{}", "\u0000",
  "[".repeat(5000) + "]".repeat(5000), // deeper than any parser's default depth
  "null", "1", "\"string\"", "true", "[]", "[{}]", "   ", "\ufeff{}",
];

/** Invalid UTF-8 byte sequences to splice into a JSON string: overlong, stray continuation, encoded surrogate, truncated. */
export const invalidUtf8 = [
  [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0x80], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82],
];

/** Query-string values: arrays, duplicates, bad escapes, encoded NUL and surrogates. */
export const oddQueryValues = [
  "", "%00", "%ZZ", "%", "%ED%A0%80", "%C0%AF", "%F0%9F%98%80", "%E2%80%AE", "a%0D%0ASet-Cookie:%20x=1",
  "x".repeat(3000), "true", "1e400", "-1", "null", "[object Object]", "..%2F..%2F", "http%3A%2F%2Fevil.example",
];

/** Odd values for a path parameter such as /reset-password/{token}. */
export const oddPathValues = [
  "x", "%20", "%00", "%2F", "..", ".%2E", "%ZZ", "%ED%A0%80", "%C0%AF", "%F0%9F%98%80", "a;b=c", "a%3Fb%3Dc",
  "x".repeat(2000), "%E2%80%AE", "null", "__proto__",
];
