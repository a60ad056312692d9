/* The same POSTs with libcurl on one kept-alive connection. Usage: bench_libcurl URL N WARMUP */
#include "common.h"
#include "curl_post.h"

int main(int argc, char **argv) {
    (void)argc;
    int n = atoi(argv[2]), warmup = atoi(argv[3]);
    struct curl_post c;
    curl_post_init(&c);
    double *lat = malloc(sizeof(double) * n), *cpu = malloc(sizeof(double) * n);
    for (int i = 0; i < warmup + n; i++) {
        char id[40];
        action_id(id, 50000000, i);
        double t0 = now_us(), c0 = cpu_us();
        if (curl_post_cancel(&c, argv[1], id) != 0) return 1;
        double t1 = now_us(), c1 = cpu_us();
        if (i >= warmup) { lat[i - warmup] = t1 - t0; cpu[i - warmup] = c1 - c0; }
    }
    report("libcurl", lat, cpu, n);
    curl_post_free(&c);
    free(lat);
    free(cpu);
    return 0;
}
