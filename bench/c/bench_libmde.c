/* mde_cancel_action in a loop: per-call latency. Usage: bench_libmde URL N WARMUP */
#include "common.h"
#include "mde.h"

int main(int argc, char **argv) {
    int n = atoi(argv[2]), warmup = atoi(argv[3]);
    char config[256];
    snprintf(config, sizeof config, "{\"base_url\": \"%s\", \"token\": \"bench\", \"rate_limits\": []}", argv[1]);
    mde_client *client = NULL;
    if (mde_client_new(config, &client, NULL) != MDE_STATUS_OK) return 1;
    double *lat = malloc(sizeof(double) * n), *cpu = malloc(sizeof(double) * n);
    for (int i = 0; i < warmup + n; i++) {
        char id[40];
        char *json = NULL;
        action_id(id, 40000000, i);
        double t0 = now_us(), c0 = cpu_us();
        mde_status s = mde_cancel_action(client, id, "bench", &json, NULL);
        double t1 = now_us(), c1 = cpu_us();
        if (s != MDE_STATUS_OK) { fprintf(stderr, "status %d\n", s); return 1; }
        mde_string_free(json);
        if (i >= warmup) { lat[i - warmup] = t1 - t0; cpu[i - warmup] = c1 - c0; }
    }
    report("libmde", lat, cpu, n);
    mde_client_free(client);
    free(lat);
    free(cpu);
    return 0;
}
