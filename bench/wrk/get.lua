-- GET with the session cookie given in the COOKIE environment variable.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local cookie = os.getenv("COOKIE")
request = function()
  return wrk.format("GET", nil, cookie and { ["Cookie"] = cookie } or {})
end
