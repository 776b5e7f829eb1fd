-- wrk: each request carries the next of the session cookies given after `--` (scripts/bench:
-- a page read by many signed-in users at once rather than by one session).
cookies = {}
counter = 0
init = function(args)
  for i, c in ipairs(args) do cookies[i] = c end
end
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, {["Cookie"] = "pl_session=" .. cookies[(counter % #cookies) + 1]})
end
