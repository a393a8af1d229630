// SPDX-License-Identifier: GPL-2.0
/* getcwd in a fresh, randomly named temporary directory. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/r_getcwd.XXXXXX", cwd[PATH_MAX];

	if (!mkdtemp(dir) || chdir(dir))
		return 1;
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	printf("created %s\ncwd %s\n", dir, cwd);
	if (chdir("/") || rmdir(dir))
		return 1;
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	printf("back in %s\n", cwd);
	return 0;
}
