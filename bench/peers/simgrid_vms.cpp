// The fair-share scenario of HyperLab's benchmark, run by SimGrid 3.32 (Debian's
// libsimgrid-dev) with its VM model: HOSTS hosts of 8 cores at 2.4 GHz, 10 VMs of 2
// vCPUs on each, 4 actors per VM running chunks of 10 Gflop ±50 % back to back for one
// simulated hour. Chunk lengths come from the same seeded streams as HyperLab's
// (xoshiro256** split per VM and thread by label), so both runs do the same work.
// Prints: hosts, chunks completed, wall seconds of the simulation.
#include <simgrid/s4u.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

// HyperLab's SimRandom: splitmix64-seeded xoshiro256**, split by FNV-1a of a label.
struct SimRandom {
  uint64_t seed, s[4];
  static uint64_t splitmix(uint64_t& x) {
    x += 0x9e3779b97f4a7c15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  explicit SimRandom(uint64_t seed_) : seed(seed_) {
    uint64_t sm = seed_;
    for (auto& v : s) v = splitmix(sm);
  }
  SimRandom split(const std::string& label) const {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char b : label) { h ^= b; h *= 0x100000001b3ULL; }
    uint64_t mix = seed ^ h;
    return SimRandom(splitmix(mix));
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * (double)(next() >> 11) * 0x1.0p-53; }
};

static const double kWork = 1e10, kSpread = 0.5, kHorizon = 3600;
static long completed = 0;

static void worker(SimRandom random) {
  for (;;) {
    double chunk = kWork * random.uniform(1 - kSpread, 1 + kSpread);
    sg4::this_actor::execute(chunk);
    if (sg4::Engine::get_clock() <= kHorizon) completed++;
  }
}

int main(int argc, char** argv) {
  sg4::Engine e(&argc, argv);
  int hosts = argc > 1 ? std::atoi(argv[1]) : 10;
  auto* zone = sg4::create_full_zone("world");
  std::vector<sg4::Host*> pms;
  for (int h = 0; h < hosts; h++)
    pms.push_back(zone->create_host("h" + std::to_string(h), 2.4e9)->set_core_count(8)->seal());
  zone->seal();
  SimRandom root(1);
  for (int h = 0; h < hosts; h++) {
    for (int v = 0; v < 10; v++) {
      std::string name = "h" + std::to_string(h) + "v" + std::to_string(v);
      auto* vm = pms[h]->create_vm(name, 2, 4ULL << 30);
      vm->start();
      SimRandom batch = root.split("vm/" + name).split("batch/0");
      for (int t = 0; t < 4; t++)
        sg4::Actor::create(name + "t" + std::to_string(t), vm, worker, batch.split("thread/" + std::to_string(t)));
    }
  }
  auto start = std::chrono::steady_clock::now();
  e.run_until(kHorizon);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d %ld %.3f\n", hosts, completed, wall);
  std::fflush(stdout);
  std::_Exit(0);  // the workers loop forever: skip tearing down the simulation
}
