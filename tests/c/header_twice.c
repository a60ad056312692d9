/* The header compiles as strict C11 and can be included twice. */
#include "mde.h"
#include "mde.h"

int main(void) {
    mde_status s = MDE_STATUS_OK;
    return (int)s + (mde_abi_version() == MDE_ABI_VERSION ? 0 : 1);
}
