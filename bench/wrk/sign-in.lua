-- POST /sign-in/email for one existing user (EMAIL, PASSWORD).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local body = string.format('{"email":"%s","password":"%s"}', os.getenv("EMAIL"), os.getenv("PASSWORD"))
request = function()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
