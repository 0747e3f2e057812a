-- Instructor-only: the student's n_plus and dpm_hosts_on on clusters the public checks do
-- not use (mixed sizes and N+2; more hosts, an HA floor above the what-if, a demand that
-- leaves one host, larger hosts), judged by what the engine's planner and DPM do. Never
-- shipped to students. Runs after lab.lua in the same world (clock at the end of its
-- day): hosts and clusters here are named "h-…".
local shared = ...
local answer = lab.submission("answer.lua")

local plans = { shared.planCase("h-np1", { "512 GiB", "512 GiB", "256 GiB", "256 GiB", "256 GiB", "128 GiB" }, 1, 75),
                shared.planCase("h-np2", { "768 GiB", "768 GiB", "768 GiB" }, 2, 85),
                shared.planCase("h-np3", { "256 GiB", "384 GiB", "128 GiB", "384 GiB" }, 2, 60) }

check("n_plus() on other clusters", { number = "H1", points = 1, visibility = "after_due_date",
  hide_errors = "n_plus() gave a wrong usable or planned size for a cluster the public checks do not use (hosts of"
    .. " different sizes, or more than one failure)." }, function()
  lab.answer(answer, "n_plus", "function")
  local right = shared.planCases(answer.n_plus, plans)
  partial(right / #plans)
  expect(right, "unseen clusters answered right", "count"):to_equal(#plans)
end)

-- steady clusters: 8 hosts with HA tolerating 2 (the floor stops it), 3 hosts at a demand
-- one host carries, 6 hosts at a demand whose what-if stops DPM early
local cases = { shared.steady("h-s1", 8, 12000, 2), shared.steady("h-s2", 3, 1000, 0), shared.steady("h-s3", 6, 13000, 0) }
lab.run_for("2 h")
for _, s in ipairs(cases) do s.on = s.cluster.dpm.hosts_on end

check("dpm_hosts_on() on other clusters", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "dpm_hosts_on() gave a wrong number of hosts for a cluster the public checks do not use (another size,"
    .. " demand or HA setting)." }, function()
  lab.answer(answer, "dpm_hosts_on", "function")
  local right = shared.steadyCasesRight(answer.dpm_hosts_on, cases)
  partial(right / #cases)
  expect(right, "unseen clusters answered right", "count"):to_equal(#cases)
end)

check("evc_baseline() on other clusters", { number = "H3", points = 1, visibility = "after_due_date",
  hide_errors = "evc_baseline() gave a wrong baseline for hosts the public checks do not use (other generations,"
    .. " a single host, or AMD's older modes)." }, function()
  local evc_cases = { { "sapphire-rapids", "sandy-bridge", "cascade-lake", "ivy-bridge" }, { "bulldozer", "opteron-g3" },
                  { "merom" }, { "zen", "haswell", "zen2" } }
  local right = shared.score_evc(evc_cases, false)
  partial(right / #evc_cases)
  expect(right, "unseen clusters answered right", "count"):to_equal(#evc_cases)
end)
