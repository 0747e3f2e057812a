-- Instructor-only: the student's downtime(memory, bandwidth, dirty, wws, limit) on
-- migrations the public checks do not try (other VM sizes, links and downtime limits; a
-- working set that caps what is resent; an idle guest). Never shipped to students.
local answer = lab.submission("answer.lua")

local san = lab.datastore{ name = "h-SAN", capacity = "4 TiB", kind = "san" }
local src = lab.host{ name = "h-src", cpus = 32, memory = "256 GiB", datastores = { san } }
local dst = lab.host{ name = "h-dst", cpus = 32, memory = "256 GiB", datastores = { san } }
local n = 0

-- Migrates a fresh VM of `memory` whose application rewrites `dirty` of a `wws` set, by
-- QEMU's rules over `link` with `limit`; returns the migration and the arguments of downtime().
local function run(memory, size, dirty, wws, link, limit)
  n = n + 1
  local v = src:create_vm{ name = "hidden-vm" .. n, vcpus = 2, memory = memory, disks = { { size = "20 GiB", datastore = san } } }
  v:power_on()
  local rate = lab.bytes((dirty:gsub("/s", "")))
  v:run(lab.workload.memory{ size = size, active = wws, rate = "2 GB/s", dirty = rate > 0 and dirty or nil })
  lab.run_for("20 s")
  local m = v:migrate{ host = dst, engine = "qemu", bandwidth = link, downtime_limit = limit }
  lab.run_until(function() return m.done end, "10 min")
  v:power_off()
  return { m = m, args = { lab.bytes(memory), lab.bytes((link:gsub("/s", ""))), rate, lab.bytes(wws), lab.seconds(limit) } }
end

local function seconds_of(v)
  if type(v) == "number" and v == v then return v end
  if type(v) == "string" then
    local ok, s = pcall(lab.seconds, v)
    if ok then return s end
  end
  return nil
end

-- How many of `cases` the student's function gets within 2 % of the simulated downtime.
local function score(cases)
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(answer.downtime, table.unpack(c.args))
    local s = ok and seconds_of(got) or nil
    if s and math.abs(s - c.m.downtime) <= 0.02 * c.m.downtime + 1e-4 then right = right + 1 else
      print(("  [instructor] downtime(%s): the migration had %.5f s, the answer gave %s")
        :format(table.concat(c.args, ", "), c.m.downtime, tostring(got)))
    end
  end
  return right
end

local sizes = {
  run("8 GiB", "6 GiB", "300 MB/s", "4 GiB", "2 GiB/s", "100 ms"),
  run("16 GiB", "12 GiB", "150 MB/s", "6 GiB", "1250 MB/s", "50 ms"),
  run("2 GiB", "1536 MiB", "80 MB/s", "1 GiB", "512 MiB/s", "200 ms"),
  run("6 GiB", "4 GiB", "25 MB/s", "3 GiB", "100 MB/s", "500 ms"),
}

check("downtime() on other VMs, links and limits", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "downtime() gave a wrong downtime for a migration of another VM size, link or downtime limit." },
  function()
  lab.answer(answer, "downtime", "function")
  local right = score(sizes)
  partial(right / #sizes)
  expect(right, "unseen migrations answered right", "count"):to_equal(#sizes)
end)

local capped = {
  run("12 GiB", "8 GiB", "600 MB/s", "512 MiB", "3 GiB/s", "30 ms"),
  run("8 GiB", "6 GiB", "900 MB/s", "1 GiB", "2 GiB/s", "100 ms"),
  run("4 GiB", "2 GiB", "0 MB/s", "2 GiB", "1 GiB/s", "300 ms"),
}

check("downtime() when the working set caps what is resent", { number = "H2", points = 1, visibility = "after_due_date",
  hide_errors = "downtime() was wrong for a guest whose writable working set is smaller than what it could dirty"
    .. " in a round, or for an idle guest." },
  function()
  lab.answer(answer, "downtime", "function")
  local right = score(capped)
  partial(right / #capped)
  expect(right, "unseen migrations answered right", "count"):to_equal(#capped)
end)
