// Gives a chart its width: the container's, measured with a ResizeObserver. Before the first layout (and in
// test DOMs, which never lay out) a sensible default is used, so the chart always renders with its data.
import { useEffect, useRef, useState, type ReactNode } from 'react';

const DEFAULT_WIDTH = 640;

export function ChartFrame(props: { height: number; children: (width: number, height: number) => ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => setWidth(Math.floor(element.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="br-chart-frame" style={{ height: props.height }}>
      {props.children(width > 0 ? width : DEFAULT_WIDTH, props.height)}
    </div>
  );
}
