-- POST /sign-up/email with a unique email per request (RUN_ID keeps runs apart).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local run = os.getenv("RUN_ID") or tostring(os.time())
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"name":"Bench","email":"bench-%s-%d@example.com","password":"bench-password-123"}', run, n)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
