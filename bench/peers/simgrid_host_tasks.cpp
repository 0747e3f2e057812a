// SimGrid 3.32's answers for tasks on a physical machine beside VMs, the oracle of
// HyperLab's fair-mode tests (Tests/HyperModelTests/HostWorkTests.swift,
// FairSimGridTests.swift). Each scenario runs on its own PM, so one engine runs them all:
// every task executes for 10 simulated seconds and prints the cores it got
// (flops done / 10 s / core speed). Build and run:
//   g++ -O2 -std=c++17 -o simgrid_host_tasks bench/peers/simgrid_host_tasks.cpp $(pkg-config --cflags --libs simgrid)
//   ./simgrid_host_tasks --log=root.thres:critical
#include <simgrid/s4u.hpp>
#include <cstdio>
#include <string>

namespace sg4 = simgrid::s4u;

static void task(std::string label, double speed, double bound) {
  const double total = 1e18;
  auto e = sg4::this_actor::exec_init(total);
  if (bound > 0) e->set_bound(bound * speed);
  e->start();
  sg4::this_actor::sleep_for(10);
  std::printf("%s %.6f\n", label.c_str(), (total - e->get_remaining()) / 10 / speed);
  e->cancel();
}

int main(int argc, char** argv) {
  sg4::Engine e(&argc, argv);
  auto* zone = sg4::create_full_zone("world");
  auto pm = [&](const char* name, double speed, int cores) { return zone->create_host(name, speed)->set_core_count(cores)->seal(); };
  sg4::Host* a = pm("A", 1e9, 1);    // PM task + VM(1 vCPU) whose task is bounded at 0.25
  sg4::Host* b = pm("B", 1e9, 1);    // PM task + VM(1) with one task
  sg4::Host* c = pm("C", 1e9, 2);    // 2 PM tasks + VM(2) with 2 tasks, 2 cores
  sg4::Host* d = pm("D", 1e9, 1);    // PM task + VM(2 vCPUs) with 2 tasks, 1 core
  sg4::Host* f = pm("E", 1e9, 2);    // VM(4 vCPUs) with 4 tasks on 2 cores
  sg4::Host* g = pm("F", 5e7, 1);    // 50 MHz: PM task + VM(1) with one task
  sg4::Host* h = pm("G", 1e9, 1);    // PM task + VM(1) bounded at 0.3 core with one task
  sg4::Host* k = pm("H", 1e9, 2);    // 2 cores: PM task bounded at 0.5 + VM(2) with 2 tasks
  zone->seal();
  auto vm = [](sg4::Host* host, const char* name, int vcpus) {
    auto* v = host->create_vm(name, vcpus, 1ULL << 30);
    v->start();
    return v;
  };
  auto run = [](const std::string& label, sg4::Host* where, double speed, double bound) {
    sg4::Actor::create(label, where, task, label, speed, bound);
  };
  run("A.pm", a, 1e9, 0), run("A.vm", vm(a, "va", 1), 1e9, 0.25);
  run("B.pm", b, 1e9, 0), run("B.vm", vm(b, "vb", 1), 1e9, 0);
  run("C.pm1", c, 1e9, 0), run("C.pm2", c, 1e9, 0);
  auto* vc = vm(c, "vc", 2);
  run("C.vm1", vc, 1e9, 0), run("C.vm2", vc, 1e9, 0);
  run("D.pm", d, 1e9, 0);
  auto* vd = vm(d, "vd", 2);
  run("D.vm1", vd, 1e9, 0), run("D.vm2", vd, 1e9, 0);
  auto* ve = vm(f, "ve", 4);
  for (int i = 1; i <= 4; i++) run("E.vm" + std::to_string(i), ve, 1e9, 0);
  run("F.pm", g, 5e7, 0), run("F.vm", vm(g, "vf", 1), 5e7, 0);
  run("G.pm", h, 1e9, 0);
  auto* vg = vm(h, "vg", 1);
  vg->set_bound(0.3e9);
  run("G.vm", vg, 1e9, 0);
  run("H.pm", k, 1e9, 0.5);
  auto* vh = vm(k, "vh", 2);
  run("H.vm1", vh, 1e9, 0), run("H.vm2", vh, 1e9, 0);
  e.run_until(10.5);
  std::fflush(stdout);
  std::_Exit(0);
}
