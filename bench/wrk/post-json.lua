-- POST a JSON body with a session cookie and Origin (ORIGIN). BODY is a template: "{n}" becomes a counter (unique per
-- request within a run), "{run}" the RUN_ID, "{part}" the RUN_PART (which wrk of a spread run this is) and "{v}" the
-- request's user's value from VALUES, e.g. '{"name":"Bench {run} {n}"}'.
-- COOKIE: one user's cookie; or COOKIES: several users' cookies joined by "|", request n sending user n mod count's
-- (so concurrent requests are mostly different users'), with VALUES ("|"-joined, same order) for "{v}".
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local function split(s)
  local list = {}
  for item in string.gmatch(s or "", "[^|]+") do list[#list + 1] = item end
  return list
end
local cookies = split(os.getenv("COOKIES") or os.getenv("COOKIE"))
local values = split(os.getenv("VALUES"))
local origin = os.getenv("ORIGIN")
local template = os.getenv("BODY")
local run = os.getenv("RUN_ID") or tostring(os.time())
local part = os.getenv("RUN_PART") or "0"
local n = 0
request = function()
  n = n + 1
  local k = n % #cookies + 1
  local body = template:gsub("{run}", run):gsub("{part}", part):gsub("{n}", tostring(n)):gsub("{v}", values[k] or "")
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Cookie"] = cookies[k], ["Origin"] = origin }, body)
end
