import type { CSSProperties } from 'react';
import 'antd-mobile/es/components/spin-loading/spin-loading.css';
import './spinner.css';

const COLORS = {
  default: 'var(--adm-color-weak)',
  primary: 'var(--adm-color-primary)',
  white: 'var(--adm-color-white)',
} as const;

/** The arc's full length: a circle of radius 15 (antd's value). */
const CIRCUMFERENCE = 15 * Math.PI * 2;

/** Props of {@link Spinner}: antd's SpinLoading's. */
export interface SpinnerProps {
  color?: keyof typeof COLORS;
  className?: string;
  style?: CSSProperties;
  'data-testid'?: string;
  'aria-label'?: string;
}

/**
 * antd-mobile's SpinLoading drawn by CSS: the same markup, classes and look (a turning arc that
 * grows and shrinks), with the arc's length animated by a keyframe (`spinner.css`) instead of
 * react-spring. Why: SpinLoading is the only part of the first load (sign-in's and the screens'
 * loading states) that needs react-spring, about 80 KB of script (13 KB compressed) a phone
 * downloads and runs before the first screen (issue 18's first-load budget).
 */
export function Spinner({ color = 'default', className, style, ...aria }: SpinnerProps) {
  return (
    <div
      className={className ? `adm-spin-loading ${className}` : 'adm-spin-loading'}
      style={{ '--color': COLORS[color], ...style } as CSSProperties}
      {...aria}
    >
      <svg className="adm-spin-loading-svg" viewBox="0 0 32 32" aria-hidden="true">
        <circle
          className="adm-spin-loading-fill aiv-spinner-arc"
          fill="transparent"
          strokeWidth="2"
          strokeDasharray={CIRCUMFERENCE}
          strokeLinecap="square"
          r={15}
          cx={16}
          cy={16}
        />
      </svg>
    </div>
  );
}
