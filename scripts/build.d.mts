// Types of scripts/build.mjs, for the tests that import it.
export declare const ROOT: string;
export declare function isFresh(root?: string): boolean;
export declare function build(options?: { root?: string; clean?: boolean; log?: (line: string) => void }): { compiled: number; copied: number; removed: number };
