// History-API routing over the UI's own paths (the server answers index.html
// for exactly these; see src/explorer/ui-routes.ts). Links marked data-link
// navigate without a reload.

export interface Page {
  el: HTMLElement;
  title: string;
  /** Stops streams and timers when the user leaves the page. */
  destroy?(): void;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  navigate(path: string, opts?: { replace?: boolean }): void;
}

type RouteHandler = (ctx: RouteContext) => Page | Promise<Page>;

interface Route {
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

export class Router {
  private routes: Route[] = [];
  private notFound: RouteHandler = () => ({ el: document.createElement('div'), title: 'Not found' });

  add(path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_m, k: string) => (keys.push(k), '([^/]+)')) + '/?$');
    this.routes.push({ pattern, keys, handler });
    return this;
  }

  fallback(handler: RouteHandler): this {
    this.notFound = handler;
    return this;
  }

  resolve(pathname: string): { handler: RouteHandler; params: Record<string, string> } {
    for (const r of this.routes) {
      const m = r.pattern.exec(pathname);
      if (m) {
        const params: Record<string, string> = {};
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
        return { handler: r.handler, params };
      }
    }
    return { handler: this.notFound, params: {} };
  }
}

/** Same-origin UI links navigate in place; modified clicks (new tab) keep the browser's behaviour. */
export function interceptLinks(navigate: (path: string) => void): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
    if (!a || a.target || a.origin !== location.origin) return;
    e.preventDefault();
    navigate(a.pathname + a.search + a.hash);
  });
}
