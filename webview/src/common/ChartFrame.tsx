// Gives a chart its width: the container's, measured with a ResizeObserver. The chart is first drawn once the
// frame is measured (a layout effect, before paint), not at a guessed width and then again at the real one: a
// chart of 2,000 points costs tens of milliseconds per render. In test DOMs, which never lay out, a sensible
// default width is used, so the chart always renders with its data.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const DEFAULT_WIDTH = 640;

export function ChartFrame(props: { height: number; children: (width: number, height: number) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => setWidth(Math.floor(element.getBoundingClientRect().width) || DEFAULT_WIDTH);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="br-chart-frame" style={{ height: props.height }}>
      {width > 0 && props.children(width, props.height)}
    </div>
  );
}
