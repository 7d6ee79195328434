#ifndef CCLIENTELE_SYSTEM_H
#define CCLIENTELE_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set (ENOSYS/EINVAL where the kernel or file system lacks it).
int cclientele_exchange_paths(const char *from, const char *to);

#endif
