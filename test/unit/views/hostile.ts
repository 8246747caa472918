/** Values an attacker could get into a page: a script element and attribute break-outs. */
export const hostile = `"><script>alert(1)</script><a x='`;
export const hostileAttribute = `" onmouseover="alert(1)`;
